import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { AuthType, RequestLike, Route } from '@appconda/core';
import type { FastifyReply } from 'fastify';

import { AvatarSet } from './avatars.assets';
import { AvatarImage, AvatarQuery } from './avatars.dto';
import { AvatarsService } from './avatars.service';

const READ = { auth: [AuthType.Guest, AuthType.Session, AuthType.Key, AuthType.Admin], scope: 'avatars.read' };

/** Writes an avatar as raw bytes with its type and cache headers (PROTOCOL §11). */
function send(reply: FastifyReply, image: AvatarImage): FastifyReply {
  reply
    .header('content-type', image.contentType)
    .header('cache-control', `private, max-age=${image.maxAge}`)
    .header('expires', new Date(Date.now() + image.maxAge * 1000).toUTCString());
  if (image.filename) reply.header('content-disposition', `attachment; filename="${image.filename}"`);
  return reply.send(image.body);
}

@Controller('avatars')
export class AvatarsController {
  constructor(private readonly service: AvatarsService) {}

  @Get('browsers/:code')
  @Route(READ)
  async getBrowser(@Param('code') code: string, @Query() query: AvatarQuery, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return send(reply, await this.service.getIcon(AvatarSet.Browsers, code, query));
  }

  @Get('credit-cards/:code')
  @Route(READ)
  async getCreditCard(@Param('code') code: string, @Query() query: AvatarQuery, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return send(reply, await this.service.getIcon(AvatarSet.CreditCards, code, query));
  }

  @Get('flags/:code')
  @Route(READ)
  async getFlag(@Param('code') code: string, @Query() query: AvatarQuery, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return send(reply, await this.service.getIcon(AvatarSet.Flags, code, query));
  }

  @Get('image')
  @Route(READ)
  async getImage(@Query() query: AvatarQuery, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return send(reply, await this.service.getImage(query));
  }

  @Get('favicon')
  @Route(READ)
  async getFavicon(@Query() query: AvatarQuery, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return send(reply, await this.service.getFavicon(query));
  }

  @Get('initials')
  @Route(READ)
  async getInitials(@Query() query: AvatarQuery, @Req() request: RequestLike, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return send(reply, await this.service.getInitials(query, request.ctx));
  }

  @Get('qr')
  @Route(READ)
  async getQr(@Query() query: AvatarQuery, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return send(reply, await this.service.getQr(query));
  }
}
